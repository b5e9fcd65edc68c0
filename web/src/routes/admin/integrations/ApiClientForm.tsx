// Create an API client: a name, its facility (a global admin chooses; a facility admin's is their own)
// and what it may do. The server answers with the secret, which the page shows once.
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminApiClientsPageDocument, AdminCreateApiClientDocument } from "../../../generated/graphql";
import { fieldErrors, useFocusOnInvalid } from "../../../ui/fieldErrors";
import { InputField, SelectInput } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { CheckGroup } from "./ScopeChecks";
import { API_SCOPES, scopeKey } from "./scopes";

const FIELDS = ["name", "facilityID", "scopes"] as const;

export function ApiClientForm({
  facilities,
  global,
  onCreated,
  onCancel,
}: {
  facilities: readonly { id: string; name: string }[];
  global: boolean;
  onCreated: (created: { name: string; id: string; secret: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  const [name, setName] = useState("");
  const [facilityID, setFacilityID] = useState(global ? (facilities[0]?.id ?? "") : "");
  const [scopes, setScopes] = useState<string[]>([]);
  const [create, state] = useMutation(AdminCreateApiClientDocument, { refetchQueries: [AdminApiClientsPageDocument] });
  const errors = fieldErrors(state.error);
  const form = useFocusOnInvalid(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const res = await create({ variables: { input: { name: name.trim(), scopes, ...(global && facilityID ? { facilityID } : {}) } } });
      const c = res.data?.createAPIClient;
      if (c) onCreated({ name: c.client.name, id: c.client.id, secret: c.clientSecret });
    } catch {
      // shown next to the fields
    }
  }

  return (
    <form ref={form} onSubmit={submit} className="space-y-3" noValidate aria-label={t("apiClients.new")}>
      <InputField label={t("apiClients.name")} hint={t("apiClients.nameHint")} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={100} autoComplete="off" />
      {global && (
        <SelectInput label={t("apiClients.facility")} value={facilityID} onChange={(e) => setFacilityID(e.target.value)} error={errors.facilityID}>
          {facilities.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </SelectInput>
      )}
      <CheckGroup
        legend={t("apiClients.scopes")}
        options={API_SCOPES.map((s) => ({ value: s, label: s, description: t(`apiClients.scope.${scopeKey(s)}`) }))}
        value={scopes}
        onChange={setScopes}
        error={errors.scopes}
      />
      <FormActions error={state.error} shownFields={FIELDS} busy={state.loading} submitLabel={t("apiClients.create")} onCancel={onCancel} disabled={!name.trim()} />
    </form>
  );
}
