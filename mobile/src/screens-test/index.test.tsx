import { screen } from "@testing-library/react-native";

import Index from "../../app/index";
import { patientSession } from "../test/fixtures";
import { renderScreen } from "../test/render";

describe("start", () => {
  it("opens my visits when a patient is signed in", async () => {
    await renderScreen(<Index />, { session: patientSession() });
    expect(screen.getByTestId("redirect")).toHaveTextContent("/visits");
  });

  it("opens sign-in otherwise", async () => {
    await renderScreen(<Index />);
    expect(screen.getByTestId("redirect")).toHaveTextContent("/sign-in");
  });

  it("does not let a staff session in", async () => {
    await renderScreen(<Index />, { session: patientSession({ user: { id: "US9", name: "Sam", role: "RECEPTIONIST", facilityID: "FC1" } }) });
    expect(screen.getByTestId("redirect")).toHaveTextContent("/sign-in");
  });
});
