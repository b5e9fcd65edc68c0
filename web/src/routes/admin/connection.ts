// Types for the generated Relay connections the admin screens list.

/** The node type of a connection type: NodeOf<AdminFacilitiesPageQuery["facilities"]>. */
export type NodeOf<C> = NonNullable<C> extends { edges?: ReadonlyArray<infer E> | null }
  ? NonNullable<E> extends { node?: infer N }
    ? NonNullable<N>
    : never
  : never;
