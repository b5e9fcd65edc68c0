// Expo's preset for the app, Jest and the shared package (web/graphql/src), which Metro and Jest
// compile from source.
module.exports = function (api) {
  api.cache(true);
  return { presets: ["babel-preset-expo"] };
};
