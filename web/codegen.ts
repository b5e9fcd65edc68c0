// GraphQL Code Generator for the web app's own documents: each component's fragment (and a route's
// query, a component's own query or subscription) in a .graphql file beside it, generated into
// src/generated with the shared package's settings (graphql/codegen.ts). Documents both apps use
// stay in graphql/src/documents and come from @carequeue/graphql.
//   npm run codegen   regenerate both (commit the result)
//   npm run check     fail when either is stale (CI), then type-check
//
// Fragment masking stays on in the types (each component sees only its own fragment's fields); the
// helpers that read a masked fragment (getFragmentData, FragmentType, makeFragmentData) are generic
// over any typed document, so they come from @carequeue/graphql rather than a second copy here.
import type { CodegenConfig } from "@graphql-codegen/cli";

import { clientPreset, schema } from "./graphql/codegen";

const config: CodegenConfig = {
  schema: schema(".."),
  documents: ["src/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      ...clientPreset,
      presetConfig: { ...clientPreset.presetConfig, fragmentMasking: false, skipIndexFile: true },
      config: { ...clientPreset.config, inlineFragmentTypes: "mask" },
    },
  },
};

export default config;
