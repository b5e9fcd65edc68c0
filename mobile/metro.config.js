// Metro for the patient app. The typed GraphQL layer (@carequeue/graphql) is compiled from its source
// in ../web/graphql, so Metro watches that folder too. Its imports of packages (react, @apollo/client,
// graphql-ws, rxjs) must resolve from this app's node_modules, not from web/node_modules next to it:
// two copies of React or Apollo in one bundle break hooks and the cache.
const path = require("node:path");
const { getDefaultConfig } = require("expo/metro-config");

const projectRoot = __dirname;
const shared = path.resolve(projectRoot, "../web/graphql");

const config = getDefaultConfig(projectRoot);
config.watchFolders = [...(config.watchFolders ?? []), shared];
config.resolver.nodeModulesPaths = [path.resolve(projectRoot, "node_modules")];
config.resolver.resolveRequest = (context, moduleName, platform) => {
  const fromShared = context.originModulePath.startsWith(shared + path.sep);
  const isPackage = !moduleName.startsWith(".") && !path.isAbsolute(moduleName);
  const ctx = fromShared && isPackage ? { ...context, originModulePath: path.join(projectRoot, "package.json") } : context;
  return ctx.resolveRequest(ctx, moduleName, platform);
};

module.exports = config;
