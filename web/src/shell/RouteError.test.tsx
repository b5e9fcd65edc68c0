import { render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { reportError } from "../app/errorReports";
import { RouteError } from "./RouteError";

vi.mock("../app/errorReports", () => ({ reportError: vi.fn() }));

function Broken(): never {
  throw new TypeError("ticket.patient is undefined");
}

function renderAt(path: string) {
  const router = createMemoryRouter(
    [{ path: "/", errorElement: <RouteError />, children: [{ path: "broken", element: <Broken /> }] }],
    { initialEntries: [path] },
  );
  render(<RouterProvider router={router} />);
}

describe("RouteError", () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    vi.mocked(reportError).mockClear();
  });

  it("reports the error a page threw", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // React logs the caught error
    renderAt("/broken");
    await screen.findByRole("alert");
    expect(reportError).toHaveBeenCalledWith(expect.objectContaining({ message: "ticket.patient is undefined" }));
  });

  it("does not report an unknown address", async () => {
    renderAt("/nowhere");
    await screen.findByRole("alert");
    expect(reportError).not.toHaveBeenCalled();
  });
});
