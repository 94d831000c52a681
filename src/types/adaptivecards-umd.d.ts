// adaptivecards 3.x ships extensionless ESM that Node cannot load; its UMD
// bundle loads fine and has the same API, typed here from the package's own types.
declare module 'adaptivecards/dist/adaptivecards.js' {
  export * from 'adaptivecards';
}
