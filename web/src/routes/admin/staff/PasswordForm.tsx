// Set a new password for an account. The server ends the account's sessions, so whoever knew the old
// password is signed out.
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminSetUserPasswordDocument } from "../../../generated/graphql";
import { InputField } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../../../ui/fieldErrors";

export function PasswordForm({ userID, onDone, onCancel }: { userID: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation("admin");
  const [password, setPassword] = useState("");
  const [setUserPassword, { loading, error }] = useMutation(AdminSetUserPasswordDocument);
  const errors = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await setUserPassword({ variables: { id: userID, password } });
      onDone();
    } catch {
      // shown next to the field
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <p className="text-sm text-slate-700">{t("staff.passwordExplain")}</p>
      <InputField
        label={t("staff.newPassword")}
        hint={t("staff.passwordHint")}
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        required
        autoComplete="new-password"
      />
      <FormActions error={error} shownFields={["password"]} busy={loading} submitLabel={t("staff.setPassword")} onCancel={onCancel} disabled={!password} />
    </form>
  );
}
