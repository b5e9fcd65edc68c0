import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { QueueWarnings } from "./QueueWarnings";

describe("QueueWarnings", () => {
  it("SaysTheUrgentGroupTookMoreThanItsShare", () => {
    render(<QueueWarnings warnings={[{ kind: "URGENT_SHARE_HIGH", sharePercent: 72, limitPercent: 50 }]} />);
    expect(screen.getByRole("status").textContent).toBe(
      "Very urgent patients took 72 % of the service time in the last hour (limit 50 %): others are waiting longer",
    );
  });

  it("ShowsNothingWithoutWarnings", () => {
    const { container } = render(<QueueWarnings warnings={[]} />);
    expect(container.textContent).toBe("");
  });
});
