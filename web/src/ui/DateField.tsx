// A calendar day typed in the facility's order (the placeholder says which: DD/MM/YYYY in en-GB,
// MM/DD/YYYY in en-US), read back with the month in letters ("3 Apr 1990") so the person typing sees
// what was understood: 03/04 is April in London and March in New York. A browser date input would
// follow the browser's locale, not the hospital's. One field for every date a person types: a date of
// birth at reception, the audit log's and analytics' ranges (whose days start at the facility's
// midnight: the field gives the calendar day, the page the zone).
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { datePattern, parseTypedDate, typedDate } from "../i18n/format";
import { useFacilityFormat, useFormat } from "../i18n/useFormat";
import { TextField } from "./Field";

export interface DateFieldProps {
  label: string;
  /** The day shown (YYYY-MM-DD, "" for none) when the page sets it (the address, "Clear filters"); omit to leave it to the typing. */
  value?: string;
  /** Gets "YYYY-MM-DD", "" for an empty field, or null while the text is not a date (or is after max). */
  onChange: (day: string | null) => void;
  /** The last day accepted (YYYY-MM-DD), e.g. today. */
  max?: string;
  /** The server's (or the page's) message about the field. */
  error?: string;
  className?: string;
}

export function DateField({ label, value, onChange, max, error, className }: DateFieldProps) {
  const { i18n } = useTranslation();
  const { locale } = useFacilityFormat();
  const fmt = useFormat();
  const tag = locale ?? i18n.language;
  const pattern = datePattern(tag);
  const [text, setText] = useState(() => (value ? typedDate(value, tag) : ""));
  const read = (typed: string) => {
    const day = parseTypedDate(typed, tag);
    return day && max && day > max ? null : day;
  };
  const day = read(text);
  // A day set from outside, or a new locale: shown as typed in the locale's order. The typing's own
  // answers come back as the same day and leave the text alone.
  useEffect(() => {
    if (value === undefined) return;
    setText((current) => ((read(current) ?? "") === value ? current : typedDate(value, tag)));
  }, [value, tag]); // read follows tag and max; a new max alone leaves the text as typed
  return (
    <TextField
      className={className}
      label={label}
      inputMode="numeric"
      autoComplete="off"
      placeholder={pattern}
      value={text}
      error={error}
      aria-invalid={(text.trim() !== "" && !day) || !!error}
      hint={day ? fmt.day(day) : pattern}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() ? read(e.target.value) : "");
      }}
    />
  );
}
