// Create or edit a webhook endpoint: its URL (the server says what it refuses), the events it wants
// and how much patient data its payloads carry, each explained. A new endpoint's secret is shown once.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminCreateWebhookEndpointDocument,
  AdminUpdateWebhookEndpointDocument,
  AdminWebhooksPageDocument,
  WebhookForm_EndpointFragmentDoc,
  type WebhookDataScope,
  type WebhookEvent,
} from "../../../generated/graphql";
import { fieldErrors, useFocusOnInvalid } from "../../../ui/fieldErrors";
import { InputField, SelectInput } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { DATA_SCOPES, WEBHOOK_EVENTS } from "./events";
import { CheckGroup } from "./ScopeChecks";

const FIELDS = ["url", "description", "events", "dataScope", "facilityID"] as const;

export function WebhookForm({
  endpoint: ref,
  facilities,
  onCreated,
  onDone,
}: {
  endpoint?: FragmentType<typeof WebhookForm_EndpointFragmentDoc>;
  facilities: readonly { id: string; name: string }[];
  onCreated: (created: { url: string; secret: string }) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const endpoint = getFragmentData(WebhookForm_EndpointFragmentDoc, ref);
  const [url, setURL] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [events, setEvents] = useState<WebhookEvent[]>(endpoint ? [...endpoint.events] : []);
  const [scope, setScope] = useState<WebhookDataScope>(endpoint?.dataScope ?? "CODES");
  const [facilityID, setFacilityID] = useState(endpoint?.facilityID ?? facilities[0]?.id ?? "");
  const [create, created] = useMutation(AdminCreateWebhookEndpointDocument, { refetchQueries: [AdminWebhooksPageDocument] });
  const [update, updated] = useMutation(AdminUpdateWebhookEndpointDocument, { refetchQueries: [AdminWebhooksPageDocument] });
  const state = endpoint ? updated : created;
  const errors = fieldErrors(state.error);
  const form = useFocusOnInvalid(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { url: url.trim(), description: description.trim(), events, dataScope: scope };
    try {
      if (endpoint) {
        await update({ variables: { id: endpoint.id, input } });
        onDone();
      } else {
        const res = await create({ variables: { input: { ...input, facilityID } } });
        const c = res.data?.createWebhookEndpoint;
        if (c) onCreated({ url: c.endpoint.url, secret: c.secret });
      }
    } catch {
      // shown next to the fields
    }
  }

  return (
    <form ref={form} onSubmit={submit} className="space-y-3" noValidate aria-label={endpoint ? t("webhooks.edit") : t("webhooks.new")}>
      {!endpoint && facilities.length > 1 && (
        <SelectInput label={t("webhooks.facility")} value={facilityID} onChange={(e) => setFacilityID(e.target.value)} error={errors.facilityID}>
          {facilities.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </SelectInput>
      )}
      <InputField label={t("webhooks.url")} hint={t("webhooks.urlHint")} type="url" value={url} onChange={(e) => setURL(e.target.value)} error={errors.url} required autoComplete="off" />
      <InputField label={t("webhooks.descriptionField")} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} maxLength={200} autoComplete="off" />
      <CheckGroup
        legend={t("webhooks.events")}
        options={WEBHOOK_EVENTS.map((ev) => ({ value: ev, label: t(`webhooks.event.${ev}.label`), description: t(`webhooks.event.${ev}.description`) }))}
        value={events}
        onChange={setEvents}
        error={errors.events}
      />
      <CheckGroup
        type="radio"
        legend={t("webhooks.dataScope")}
        options={DATA_SCOPES.map((s) => ({ value: s, label: t(`webhooks.scope.${s}.label`), description: t(`webhooks.scope.${s}.description`) }))}
        value={[scope]}
        onChange={(v) => setScope(v[0] ?? "CODES")}
        error={errors.dataScope}
      />
      <FormActions error={state.error} shownFields={FIELDS} busy={state.loading} submitLabel={endpoint ? t("common.save") : t("webhooks.create")} onCancel={onDone} disabled={!url.trim()} />
    </form>
  );
}
