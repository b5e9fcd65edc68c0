// One touch target of the "where do you need to go?" step.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";

import { KioskQueueChoice_QueueFragmentDoc } from "../../generated/graphql";
import { BigButton } from "./BigButton";

export function KioskQueueChoice({ queue, onChoose, busy }: { queue: FragmentType<typeof KioskQueueChoice_QueueFragmentDoc>; onChoose: (id: string) => void; busy: boolean }) {
  const q = getFragmentData(KioskQueueChoice_QueueFragmentDoc, queue);
  return (
    <BigButton variant="secondary" onClick={() => onChoose(q.id)} disabled={busy} className="w-full">
      <span className="flex w-full flex-col text-left">
        <span>{q.name}</span>
        <span className="text-lg font-normal text-slate-600">{q.department.name}</span>
      </span>
    </BigButton>
  );
}
