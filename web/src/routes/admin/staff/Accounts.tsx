// A list of accounts with their dialogs (new, edit, set password): the staff page and the kiosk
// accounts of the display devices page.
import { getFragmentData, useSession, type FragmentType, type Role } from "@carequeue/graphql";
import type { DocumentNode } from "graphql";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { UserTable_UserFragmentDoc, type UserForm_UserFragmentDoc } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { useDateTime } from "../format";
import { ActiveBadge, EmptyRow, table } from "../layout";
import { PasswordForm } from "./PasswordForm";
import { UserForm } from "./UserForm";

type Account = { id: string } & FragmentType<typeof UserTable_UserFragmentDoc> & FragmentType<typeof UserForm_UserFragmentDoc>;

export function Accounts({
  caption,
  accounts,
  facilities,
  fixedRole,
  refetch,
  creating,
  onCreatingChange,
}: {
  caption: string;
  accounts: readonly Account[];
  facilities: readonly { id: string; name: string }[];
  fixedRole?: Role;
  refetch: DocumentNode;
  /** Whether the "new account" dialog is open (the page's button opens it). */
  creating: boolean;
  onCreatingChange: (open: boolean) => void;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const { session } = useSession();
  const dateTime = useDateTime();
  const global = !session?.user.facilityID; // a global admin has no facility (null or "")
  const [editing, setEditing] = useState<Account | null>(null);
  const [password, setPassword] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState("");
  const columns = fixedRole ? 6 : 7;

  return (
    <>
      <p role="status" className={notice ? "mb-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950" : "sr-only"}>
        {notice}
      </p>
      <div className={table.wrap}>
        <table className={table.table}>
          <caption className={table.caption}>{caption}</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={table.th}>{t("staff.name")}</th>
              <th scope="col" className={table.th}>{t("staff.email")}</th>
              {!fixedRole && <th scope="col" className={table.th}>{t("staff.role")}</th>}
              <th scope="col" className={table.th}>{t("staff.facility")}</th>
              <th scope="col" className={table.th}>{t("common.status")}</th>
              <th scope="col" className={table.th}>{t("staff.lastLogin")}</th>
              <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {accounts.length === 0 && <EmptyRow colSpan={columns + 1}>{t("staff.empty")}</EmptyRow>}
            {accounts.map((a) => {
              const u = getFragmentData(UserTable_UserFragmentDoc, a);
              return (
                <tr key={u.id}>
                  <th scope="row" className={`${table.td} font-medium`}>{u.name}</th>
                  <td className={table.td}>{u.email ?? t("common.none")}</td>
                  {!fixedRole && <td className={table.td}>{tc(`shell.role.${u.role}`)}</td>}
                  <td className={table.td}>{u.facility?.name ?? t("staff.allFacilities")}</td>
                  <td className={table.td}><ActiveBadge active={u.active} /></td>
                  <td className={`${table.td} whitespace-nowrap`}>{u.lastLoginAt ? dateTime(u.lastLoginAt) : t("staff.never")}</td>
                  <td className={`${table.td} text-right whitespace-nowrap`}>
                    <div className="flex justify-end gap-2">
                      <Button variant="secondary" size="sm" onClick={() => setEditing(a)} aria-label={t("common.editNamed", { name: u.name })}>
                        {t("common.edit")}
                      </Button>
                      <Button variant="secondary" size="sm" onClick={() => setPassword({ id: u.id, name: u.name })} aria-label={t("staff.setPasswordFor", { name: u.name })}>
                        {t("staff.setPassword")}
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {(creating || editing) && (
        <Dialog
          title={editing ? t("staff.edit") : fixedRole === "KIOSK" ? t("devices.newKiosk") : t("staff.new")}
          onClose={() => {
            setEditing(null);
            onCreatingChange(false);
          }}
        >
          <UserForm
            user={editing ?? undefined}
            facilities={facilities}
            global={global}
            fixedRole={fixedRole}
            refetch={refetch}
            onDone={() => {
              setEditing(null);
              onCreatingChange(false);
            }}
          />
        </Dialog>
      )}
      {password && (
        <Dialog title={t("staff.setPasswordFor", { name: password.name })} onClose={() => setPassword(null)}>
          <PasswordForm
            userID={password.id}
            onCancel={() => setPassword(null)}
            onDone={() => {
              setNotice(t("staff.passwordChanged", { name: password.name }));
              setPassword(null);
            }}
          />
        </Dialog>
      )}
    </>
  );
}
