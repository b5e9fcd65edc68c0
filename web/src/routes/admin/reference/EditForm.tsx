// The frame of a reference record's form (see useReferenceEditor): the fields it is given, then what
// no field shows of a failed save, Cancel, and Create (a new record) or Save (an edited one).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { FormActions } from "../forms/FormActions";
import type { Section } from "./ReferencePage";
import type { ReferenceEditor } from "./useReferenceEditor";

export function EditForm<V>({
  section,
  editor,
  disabled,
  named,
  children,
}: {
  /** The submit button says <section>.create for a new record ("Create queue"), Save for an edit. */
  section: Section;
  editor: ReferenceEditor<V>;
  /** Save stays off until the required fields have something in them. */
  disabled?: boolean;
  /** Name the form itself (<section>.new or .edit), as the dialog is. */
  named?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation("admin");
  return (
    <form ref={editor.formRef} onSubmit={editor.submit} className="space-y-3" noValidate aria-label={named ? t(editor.creating ? `${section}.new` : `${section}.edit`) : undefined}>
      {children}
      <FormActions
        error={editor.error}
        shownFields={editor.fields}
        busy={editor.busy}
        submitLabel={editor.creating ? t(`${section}.create`) : t("common.save")}
        onCancel={editor.cancel}
        disabled={disabled}
      />
    </form>
  );
}
