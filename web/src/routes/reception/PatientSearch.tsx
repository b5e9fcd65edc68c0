// Find a patient by name, phone or MRN; the receptionist picks one to check in.
import { getFragmentData, nodes, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { PatientSearchDocument, PatientSearchResult_PatientFragmentDoc } from "../../generated/graphql";
import { useFormat } from "../../i18n/useFormat";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { TextField } from "../../ui/Field";
import { Spinner } from "../../ui/Spinner";
import { patientSearchWhere } from "./patientSearch";

const PAGE = 10;

export function PatientSearch({ onSelect, selectedID }: { onSelect: (p: SelectedPatient) => void; selectedID?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const h = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(h);
  }, [text]);
  const where = patientSearchWhere(debounced);
  const { data, loading, error, refetch } = useQuery(PatientSearchDocument, {
    variables: { where: where ?? {}, first: PAGE },
    skip: !where,
    fetchPolicy: "network-only",
  });
  const resultsId = useId();
  const found = where ? nodes(data?.patients) : [];
  const total = data?.patients.totalCount ?? 0;

  return (
    <section aria-labelledby={`${resultsId}-h`} className="space-y-2">
      <h2 id={`${resultsId}-h`} className="text-base font-semibold">
        {t("reception.search.title")}
      </h2>
      <TextField
        label={t("reception.search.label")}
        hint={t("reception.search.hint")}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-controls={resultsId}
        autoComplete="off"
      />
      <div id={resultsId} aria-live="polite" aria-busy={loading || undefined}>
        {loading && (
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Spinner className="size-4" /> {t("reception.search.searching")}
          </p>
        )}
        {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
        {where && !loading && !error && found.length === 0 && data && (
          <p className="text-sm text-slate-600">{t("reception.search.none")}</p>
        )}
        {found.length > 0 && (
          <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label={t("reception.search.results")}>
            {found.map((p) => (
              <li key={p.id}>
                <PatientSearchResult patient={p} selected={p.id === selectedID} onSelect={onSelect} />
              </li>
            ))}
          </ul>
        )}
        {total > found.length && found.length > 0 && (
          <p className="mt-1 text-xs text-slate-600">{t("reception.search.more", { shown: found.length, total })}</p>
        )}
      </div>
    </section>
  );
}

export interface SelectedPatient {
  id: string;
  name: string;
  detail: string;
}

function PatientSearchResult({
  patient,
  selected,
  onSelect,
}: {
  patient: FragmentType<typeof PatientSearchResult_PatientFragmentDoc>;
  selected: boolean;
  onSelect: (p: SelectedPatient) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const p = getFragmentData(PatientSearchResult_PatientFragmentDoc, patient);
  const name = `${p.givenName} ${p.familyName}`;
  const born = p.dateOfBirth ? fmt.dateOfBirth(p.dateOfBirth) : null;
  const detail = [p.mrn, born && t("reception.search.born", { date: born }), p.phone].filter(Boolean).join(" · ");
  return (
    <button
      type="button"
      onClick={() => onSelect({ id: p.id, name, detail })}
      aria-pressed={selected}
      className={`block w-full px-3 py-2 text-left hover:bg-slate-50 ${selected ? "bg-teal-50" : ""}`}
    >
      <span className="block font-medium">{name}</span>
      <span className="block text-xs text-slate-600">{detail}</span>
    </button>
  );
}
