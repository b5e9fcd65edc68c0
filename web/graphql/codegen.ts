// GraphQL Code Generator: types and typed documents for every .graphql document in src/documents,
// checked against the server's schema (schema/*.graphql at the repository root).
//   npm run codegen   regenerate src/generated (commit the result)
//   npm run check     fail when src/generated is stale (CI)
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: ["../../schema/*.graphql"],
  documents: ["src/documents/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: {
        // Apollo Client has its own useFragment hook: keep the names apart.
        fragmentMasking: { unmaskFunctionName: "getFragmentData" },
        // Documents come from .graphql files: no runtime graphql() lookup table.
        gqlTagName: "graphql",
      },
      config: {
        scalars: { Time: "string", Cursor: "string" },
        enumsAsTypes: true,
        futureProofEnums: false,
        onlyOperationTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        skipTypeNameForRoot: true,
        dedupeFragments: true,
      },
    },
  },
  hooks: {},
};

export default config;
