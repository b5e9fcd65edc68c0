// A date of birth typed in the facility's order (the placeholder says which: DD/MM/YYYY in en-GB,
// MM/DD/YYYY in en-US), read back with the month in letters ("3 Apr 1990") so the person typing sees
// what was understood before it is saved. A browser date input would follow the browser's locale, not
// the hospital's.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { datePattern, parseTypedDate } from "../i18n/format";
import { useFacilityFormat, useFormat } from "../i18n/useFormat";
import { TextField } from "./Field";

/** onChange gets "YYYY-MM-DD", "" for an empty field, or null while the text is not a date. */
export function DateOfBirthField({ label, error, onChange }: { label: string; error?: string; onChange: (day: string | null) => void }) {
  const { i18n } = useTranslation();
  const { locale } = useFacilityFormat();
  const fmt = useFormat();
  const tag = locale ?? i18n.language;
  const pattern = datePattern(tag);
  const [text, setText] = useState("");
  const day = parseTypedDate(text, tag);
  return (
    <TextField
      label={label}
      inputMode="numeric"
      autoComplete="off"
      placeholder={pattern}
      value={text}
      error={error}
      aria-invalid={(text.trim() !== "" && !day) || !!error}
      hint={day ? fmt.dateOfBirth(day) : pattern}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() ? parseTypedDate(e.target.value, tag) : "");
      }}
    />
  );
}
