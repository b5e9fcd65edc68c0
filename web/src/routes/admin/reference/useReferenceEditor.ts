// The create-or-edit form of a reference record (facility, department, queue, service point): its
// values, the browser's own checks, one create and one update mutation, and the errors of both, keyed
// by field. Each form declares only its values, fields, documents and checks; <EditForm> draws the
// frame (the <form>, what no field shows, Cancel and Save).
import type { DocumentNode, OperationVariables, TypedDocumentNode } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type FormEvent, type RefObject } from "react";

import { fieldErrors, type FieldErrors } from "../../../ui/fieldErrors";

/** The keys of V whose values are exactly strings (free text) or booleans (checkboxes). */
type KeysOf<V, T> = { [K in keyof V]-?: [V[K]] extends [T] ? ([T] extends [V[K]] ? K : never) : never }[keyof V];

export interface ReferenceEditorOptions<V, CD, CV extends OperationVariables, UD, UV extends OperationVariables> {
  /** The record being edited (its id); undefined while creating a new one. */
  record: { id: string } | undefined;
  /** The form's values when it opens: the record's, or a new record's defaults. */
  initial: V | (() => V);
  /** The fields that show their own errors; the server's errors about other fields show above the buttons. */
  fields: readonly string[];
  create: TypedDocumentNode<CD, CV>;
  update: TypedDocumentNode<UD, UV>;
  /** The create mutation's variables. */
  createVariables: (values: V) => CV;
  /** The update mutation's variables. */
  updateVariables: (id: string, values: V) => UV;
  /** The page's query: fetched again after a create, so the new record shows in its list. */
  list: DocumentNode;
  /** Fetch the page's query after an update too (when the mutation's answer cannot refresh the list). */
  refetchOnUpdate?: boolean;
  /** The browser's own checks, before asking the server: field → message (none: fine). */
  validate?: (values: V) => FieldErrors;
  /** Called after a successful save, and on Cancel. */
  onDone: () => void;
}

export interface ReferenceEditor<V> {
  values: V;
  set<K extends keyof V>(key: K, value: V[K]): void;
  /** Props for an <InputField> or <SelectInput> of a text value; `transform` rewrites what is typed. */
  text(key: KeysOf<V, string>, transform?: (value: string) => string): {
    value: string;
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
    error: string | undefined;
  };
  /** Props for a <CheckField> of a boolean value. */
  check(key: KeysOf<V, boolean>): { checked: boolean; onChange: (e: ChangeEvent<HTMLInputElement>) => void; error: string | undefined };
  /** Field → message: the browser's checks over the server's. */
  errors: Readonly<Record<string, string | undefined>>;
  /** The failed save's error (shown above the buttons unless a field shows it). */
  error: unknown;
  busy: boolean;
  /** Whether the form creates a new record (false: it edits one). */
  creating: boolean;
  fields: readonly string[];
  formRef: RefObject<HTMLFormElement | null>;
  submit: (e: FormEvent) => void;
  cancel: () => void;
}

export function useReferenceEditor<V, CD, CV extends OperationVariables, UD, UV extends OperationVariables>(
  options: ReferenceEditorOptions<V, CD, CV, UD, UV>,
): ReferenceEditor<V> {
  const { record, fields, list, validate, onDone } = options;
  const [values, setValues] = useState<V>(options.initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [create, created] = useMutation(options.create, { refetchQueries: [list] });
  const [update, updated] = useMutation(options.update, options.refetchOnUpdate ? { refetchQueries: [list] } : {});
  const state = record ? updated : created;
  const errors = { ...fieldErrors(state.error), ...localErrors };

  // After a failed save, focus moves to the first field that says what is wrong, so a screen reader
  // reads its message (tied to it by aria-describedby). An error no field shows is an alert instead.
  const formRef = useRef<HTMLFormElement>(null);
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failures]);

  const set = useCallback(<K extends keyof V>(key: K, value: V[K]) => setValues((v) => ({ ...v, [key]: value })), []);

  async function save() {
    const bad = validate?.(values) ?? {};
    setLocalErrors(bad);
    if (Object.keys(bad).length > 0) {
      setFailures((n) => n + 1);
      return;
    }
    try {
      // The variables' types are the documents'; the mutate functions' conditional parameter types
      // cannot be resolved for a generic document, hence the widening.
      if (record) await (update as (o: { variables: UV }) => Promise<unknown>)({ variables: options.updateVariables(record.id, values) });
      else await (create as (o: { variables: CV }) => Promise<unknown>)({ variables: options.createVariables(values) });
      onDone();
    } catch {
      // shown next to the fields, or above the buttons
      setFailures((n) => n + 1);
    }
  }

  return {
    values,
    set,
    text: (key, transform = (s) => s) => ({
      value: values[key] as string,
      onChange: (e) => set(key, transform(e.target.value) as V[typeof key]),
      error: errors[key as string],
    }),
    check: (key) => ({
      checked: values[key] as boolean,
      onChange: (e) => set(key, e.target.checked as V[typeof key]),
      error: errors[key as string],
    }),
    errors,
    error: state.error,
    busy: state.loading,
    creating: !record,
    fields,
    formRef,
    submit: (e) => {
      e.preventDefault();
      void save();
    },
    cancel: onDone,
  };
}
