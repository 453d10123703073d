// SWC options shared by Jest (@swc/jest) and the runtime (@swc-node/register
// reads tsconfig). Decorator metadata is required by NestJS dependency injection.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
