// Create or edit an account: name, email, role, facility, active; a new account gets its first
// password here (later ones through PasswordForm).
import { getFragmentData, type FragmentType, type Role } from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import type { DocumentNode } from "graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminCreateUserDocument, AdminUpdateUserDocument, UserForm_UserFragmentDoc } from "../../../generated/graphql";
import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../../../ui/fieldErrors";
import { ACCOUNT_ROLES } from "./roles";

const FIELDS = ["name", "email", "role", "facilityID", "active", "password"] as const;

export function UserForm({
  user: ref,
  facilities,
  global,
  fixedRole,
  refetch,
  onDone,
}: {
  user?: FragmentType<typeof UserForm_UserFragmentDoc>;
  /** The facilities the admin can see. */
  facilities: readonly { id: string; name: string }[];
  /** Whether the admin is a global admin (may move accounts between facilities). */
  global: boolean;
  /** Accounts of this role only (kiosks on the display devices page). */
  fixedRole?: Role;
  /** The page query to fetch again after a change (the list shows the facility, an edge). */
  refetch: DocumentNode;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const user = getFragmentData(UserForm_UserFragmentDoc, ref);
  const [form, setForm] = useState({
    name: user?.name ?? "",
    email: user?.email ?? "",
    role: (user?.role ?? fixedRole ?? "RECEPTIONIST") as Role,
    facilityID: user?.facilityID ?? (global ? (facilities[0]?.id ?? "") : ""),
    active: user?.active ?? true,
    password: "",
  });
  const [create, created] = useMutation(AdminCreateUserDocument, { refetchQueries: [refetch] });
  const [update, updated] = useMutation(AdminUpdateUserDocument, { refetchQueries: [refetch] });
  const state = user ? updated : created;
  const errors = fieldErrors(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const base = { name: form.name.trim(), email: form.email.trim(), role: form.role, active: form.active };
    try {
      if (user) {
        const facility = !global
          ? {}
          : form.facilityID
            ? form.facilityID !== user.facilityID
              ? { facilityID: form.facilityID }
              : {}
            : user.facilityID
              ? { clearFacility: true }
              : {};
        await update({ variables: { id: user.id, input: { ...base, ...facility } } });
      } else {
        await create({ variables: { input: { ...base, ...(global && form.facilityID ? { facilityID: form.facilityID } : {}) }, password: form.password } });
      }
      onDone();
    } catch {
      // shown next to the fields
    }
  }

  const set = (k: "name" | "email" | "password" | "facilityID") => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <form onSubmit={submit} className="space-y-3" noValidate aria-label={user ? t("staff.edit") : t("staff.new")}>
      <InputField label={t("staff.name")} value={form.name} onChange={set("name")} error={errors.name} required maxLength={200} autoComplete="off" />
      <InputField label={t("staff.email")} hint={t("staff.emailHint")} type="email" value={form.email} onChange={set("email")} error={errors.email} required maxLength={254} autoComplete="off" />
      {!fixedRole && (
        <SelectInput label={t("staff.role")} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} error={errors.role}>
          {ACCOUNT_ROLES.map((r) => (
            <option key={r} value={r}>
              {tc(`shell.role.${r}`)}
            </option>
          ))}
        </SelectInput>
      )}
      <SelectInput
        label={t("staff.facility")}
        hint={global ? t("staff.facilityHintGlobal") : t("staff.facilityHint")}
        value={global ? form.facilityID : (facilities[0]?.id ?? "")}
        onChange={set("facilityID")}
        disabled={!global}
        error={errors.facilityID}
      >
        {global && <option value="">{t("staff.noFacility")}</option>}
        {facilities.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </SelectInput>
      {!user && (
        <InputField
          label={t("staff.password")}
          hint={t("staff.passwordHint")}
          type="password"
          value={form.password}
          onChange={set("password")}
          error={errors.password}
          required
          autoComplete="new-password"
        />
      )}
      <CheckField label={t("staff.active")} hint={t("staff.activeHint")} checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} error={errors.active} />
      <FormActions
        error={state.error}
        shownFields={FIELDS}
        busy={state.loading}
        submitLabel={user ? t("common.save") : t("staff.create")}
        onCancel={onDone}
        disabled={!form.name.trim() || !form.email.trim() || (!user && !form.password)}
      />
    </form>
  );
}
