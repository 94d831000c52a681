import { TeamsAdapter } from '@microsoft/teams-ai';
import { CallerIdConstants, StatusCodes, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type ServiceClientCredentialsFactory } from 'botframework-connector';

/**
 * The public Azure cloud's Bot Framework endpoints, as botbuilder uses them
 * when none is configured. As soon as one of them is given (e.g.
 * BOT_OPENID_METADATA_URL), botframework-connector's
 * BotFrameworkAuthenticationFactory takes the configuration as complete and
 * leaves every other one undefined: no token issuer (so no token is ever
 * accepted), no login URL or scope for the bot's own tokens. An override
 * therefore starts from these.
 */
export const PUBLIC_CLOUD = {
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
  ValidateAuthority: true,
} as const satisfies ConfigurationBotFrameworkAuthenticationOptions;

/** jsonwebtoken's errors: a token that is malformed, wrongly signed, of a refused algorithm, not yet valid or expired. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The Teams adapter for production mode, where botbuilder checks the Bot
 * Framework token on every request. One correction: for a token whose key id
 * is in the published keys but whose signature, algorithm or form is wrong
 * (signed with another key, `alg: none`, HS256 with the public key …),
 * botframework-connector lets jsonwebtoken's own error through and
 * CloudAdapter answers 500. That is a failed authentication, so it is
 * answered 401 like every other bad token (tests/routes/auth.test.ts).
 */
export class CheckedTeamsAdapter extends TeamsAdapter {
  constructor(auth: ConfigurationBotFrameworkAuthenticationOptions, credentialsFactory?: ServiceClientCredentialsFactory) {
    super(auth, credentialsFactory);
    const bfa = this.botFrameworkAuthentication;
    const authenticate = bfa.authenticateRequest.bind(bfa);
    bfa.authenticateRequest = async (activity, authHeader) => {
      try {
        return await authenticate(activity, authHeader);
      } catch (err) {
        if (err instanceof Error && TOKEN_ERRORS.has(err.name)) throw new AuthenticationError(`Unauthorized. ${err.message}`, StatusCodes.UNAUTHORIZED);
        throw err;
      }
    };
  }
}
