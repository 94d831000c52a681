/**
 * A pulse's lifecycle as one explicit state machine (architecture note 5):
 * draft → scheduled → open → closed → published, and cancelled from any
 * state before closing.
 */
export const PULSE_STATUSES = ['draft', 'scheduled', 'open', 'closed', 'published', 'cancelled'] as const;
export type PulseStatus = (typeof PULSE_STATUSES)[number];

export type PulseEvent = 'schedule' | 'open' | 'close' | 'publish' | 'cancel';

const TRANSITIONS: Record<PulseStatus, Partial<Record<PulseEvent, PulseStatus>>> = {
  draft: { schedule: 'scheduled', open: 'open', cancel: 'cancelled' },
  scheduled: { open: 'open', cancel: 'cancelled' },
  open: { close: 'closed', cancel: 'cancelled' },
  closed: { publish: 'published' },
  published: {},
  cancelled: {},
};

export class InvalidTransitionError extends Error {
  constructor(readonly from: PulseStatus, readonly event: PulseEvent) {
    super(`A ${from} pulse cannot ${event}`);
  }
}

/** The status after `event`, or an error if the event is not allowed now. */
export function transition(from: PulseStatus, event: PulseEvent): PulseStatus {
  const to = TRANSITIONS[from][event];
  if (!to) throw new InvalidTransitionError(from, event);
  return to;
}

/**
 * Whether answers are accepted at `now`. A pulse whose window has passed is
 * closed for answering even before a job has flipped its status.
 */
export function acceptsAnswers(pulse: { status: PulseStatus; closesAt: Date }, now: Date): boolean {
  return pulse.status === 'open' && now.getTime() < pulse.closesAt.getTime();
}
