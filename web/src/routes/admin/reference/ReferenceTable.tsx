// The table of a reference-data list: the record's name as the row header, the columns the page
// declares, and an Edit button per row named after the record. Rows come masked: the table reads them
// through the page's table fragment (<Page>Table_<record>), so each column sees only that fragment.
import type { TypedDocumentNode } from "@apollo/client";
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { EmptyRow, table } from "../layout";
import type { Section } from "./ReferencePage";

export interface Column<D> {
  header: string;
  cell: (record: D) => ReactNode;
  /** Classes added to the cell's. */
  className?: string;
}

export function ReferenceTable<D extends { id: string; name: string }, R extends FragmentType<TypedDocumentNode<D>>>({
  section,
  fragment,
  caption,
  columns,
  rows,
  onEdit,
}: {
  /** Names the first column (<section>.name) and the empty list (<section>.empty). */
  section: Section;
  /** The table's fragment: what each row holds. */
  fragment: TypedDocumentNode<D>;
  /** The table's name (read by assistive technology, not shown). */
  caption: string;
  /** The columns after the name. */
  columns: readonly Column<D>[];
  rows: readonly R[];
  onEdit: (row: R) => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className={table.caption}>{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={table.th}>{t(`${section}.name`)}</th>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={table.th}>{c.header}</th>
            ))}
            <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && <EmptyRow colSpan={columns.length + 2}>{t(`${section}.empty`)}</EmptyRow>}
          {rows.map((row) => {
            const record = getFragmentData(fragment, row);
            return (
              <tr key={record.id}>
                <th scope="row" className={`${table.td} font-medium`}>{record.name}</th>
                {columns.map((c) => (
                  <td key={c.header} className={c.className ? `${table.td} ${c.className}` : table.td}>
                    {c.cell(record)}
                  </td>
                ))}
                <td className={`${table.td} text-right`}>
                  <Button variant="secondary" size="sm" onClick={() => onEdit(row)} aria-label={t("common.editNamed", { name: record.name })}>
                    {t("common.edit")}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
