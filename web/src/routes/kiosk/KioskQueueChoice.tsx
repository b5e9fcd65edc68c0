// The "where do you need to go?" step's choices, under a heading per department: two departments may
// both have a "General" queue, and a patient looks for the department first.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";

import { KioskQueueChoice_QueueFragmentDoc } from "../../generated/graphql";
import { BigButton } from "./BigButton";

type QueueRef = FragmentType<typeof KioskQueueChoice_QueueFragmentDoc>;

export interface DepartmentChoices {
  id: string;
  name: string;
  queues: { id: string; name: string }[];
}

/**
 * The queues grouped by department: departments by name (then id, so two of the same name stay
 * apart), each department's queues in the order given.
 */
export function byDepartment(queues: readonly QueueRef[]): DepartmentChoices[] {
  const groups = new Map<string, DepartmentChoices>();
  for (const ref of queues) {
    const q = getFragmentData(KioskQueueChoice_QueueFragmentDoc, ref);
    let group = groups.get(q.department.id);
    if (!group) {
      group = { id: q.department.id, name: q.department.name, queues: [] };
      groups.set(q.department.id, group);
    }
    group.queues.push({ id: q.id, name: q.name });
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** One department: its name as a heading, and a touch target per queue (none chosen until touched). */
export function KioskDepartmentChoices({ department, onChoose, busy }: { department: DepartmentChoices; onChoose: (id: string) => void; busy: boolean }) {
  const headingID = `kiosk-dept-${department.id}`;
  return (
    <section aria-labelledby={headingID} className="flex flex-col gap-3">
      <h2 id={headingID} className="text-2xl font-semibold text-slate-800">
        {department.name}
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        {department.queues.map((q) => (
          <BigButton key={q.id} variant="secondary" onClick={() => onChoose(q.id)} disabled={busy} className="w-full">
            <span className="w-full text-left">{q.name}</span>
          </BigButton>
        ))}
      </div>
    </section>
  );
}
