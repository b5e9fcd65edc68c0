import { act, fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import SignIn from "../../app/sign-in";
import en from "../i18n/en";
import { usePatient } from "../patient";
import { authPayload, hoursFromNow, patientSession } from "../test/fixtures";
import { renderScreen } from "../test/render";
import { fakeServer, gqlError } from "../test/server";

async function requestCode(server = fakeServer({ RequestPatientCode: { data: { requestPatientCode: true } } })) {
  const r = await renderScreen(<SignIn />, { server });
  fireEvent.changeText(screen.getByTestId("phone"), "+44 7700 900123");
  fireEvent.press(screen.getByTestId("send-code"));
  await screen.findByTestId("code-sent");
  return r;
}

async function enterCode(code = "123456") {
  fireEvent.changeText(screen.getByTestId("code"), code);
  fireEvent.press(screen.getByTestId("verify"));
}

describe("sign-in", () => {
  it("refuses a national number without asking the server", async () => {
    const { server } = await renderScreen(<SignIn />);
    fireEvent.changeText(screen.getByTestId("phone"), "07700 900123");
    fireEvent.press(screen.getByTestId("send-code"));
    expect(await screen.findByTestId("phone-error")).toHaveTextContent(en.signIn.phoneInvalid);
    expect(server.requests).toEqual([]);
  });

  it("sends the number in E.164 and says a code is on its way", async () => {
    const { server } = await requestCode();
    expect(server.calls("RequestPatientCode")).toEqual([{ operationName: "RequestPatientCode", variables: { phone: "+447700900123" }, authorization: null }]);
    expect(screen.getByTestId("code-sent")).toHaveTextContent(en.signIn.codeSent.replace("{{phone}}", "+447700900123"));
    expect(screen.queryByTestId("phone")).toBeNull();
  });

  it("says when too many codes were asked for", async () => {
    await renderScreen(<SignIn />, { server: fakeServer({ RequestPatientCode: gqlError("RATE_LIMITED") }) });
    fireEvent.changeText(screen.getByTestId("phone"), "+44 7700 900123");
    fireEvent.press(screen.getByTestId("send-code"));
    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent(en.signIn.rateLimited);
    expect(screen.queryByTestId("code-sent")).toBeNull();
  });

  it("refuses a code that is not 6 digits without asking the server", async () => {
    const { server } = await requestCode();
    await enterCode("123");
    expect(await screen.findByTestId("code-error")).toHaveTextContent(en.signIn.codeInvalid);
    expect(server.calls("VerifyPatientCode")).toEqual([]);
  });

  it.each(["UNAUTHENTICATED", "BAD_USER_INPUT"])("says the code is wrong (%s)", async (code) => {
    const server = fakeServer({ RequestPatientCode: { data: { requestPatientCode: true } }, VerifyPatientCode: gqlError(code) });
    await requestCode(server);
    await enterCode();
    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent(en.signIn.wrongCode);
    expect(router.replace).not.toHaveBeenCalled();
  });

  it("says when too many codes were tried", async () => {
    const server = fakeServer({ RequestPatientCode: { data: { requestPatientCode: true } }, VerifyPatientCode: gqlError("RATE_LIMITED") });
    await requestCode(server);
    await enterCode();
    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent(en.signIn.rateLimited);
  });

  it("says when the server cannot be reached", async () => {
    const server = fakeServer({ RequestPatientCode: { data: { requestPatientCode: true } }, VerifyPatientCode: { networkError: true } });
    await requestCode(server);
    await enterCode();
    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent(en.common.network);
  });

  it("stores the session and opens my visits", async () => {
    const server = fakeServer({
      RequestPatientCode: { data: { requestPatientCode: true } },
      VerifyPatientCode: { data: { verifyPatientCode: authPayload("access-9", "refresh-9") } },
    });
    const { client } = await requestCode(server);
    await enterCode("12 34 56");
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/visits"));
    expect(server.calls("VerifyPatientCode")[0]!.variables).toEqual({ phone: "+447700900123", code: "123456" });
    expect(client.session.current()).toMatchObject({ accessToken: "access-9", refreshToken: "refresh-9", user: { role: "PATIENT" } });
  });

  it("goes back to the number", async () => {
    await requestCode();
    fireEvent.press(screen.getByText(en.signIn.changeNumber));
    expect(await screen.findByTestId("phone")).toBeTruthy();
  });

  it("leads to following a ticket without signing in", async () => {
    await renderScreen(<SignIn />);
    fireEvent.press(screen.getByTestId("follow-link"));
    expect(router.push).toHaveBeenCalledWith("/follow");
  });
});

describe("sign-in after the session ended", () => {
  it("says why when the server refused the session (not a sign-out)", async () => {
    const expired = patientSession({ expiresAt: hoursFromNow(-1) });
    const server = fakeServer({ RefreshSession: gqlError("UNAUTHENTICATED") });
    const { client } = await renderScreen(<SignIn />, { server, session: expired });
    expect(screen.queryByTestId("session-ended")).toBeNull();
    await act(async () => {
      await client.session.refresh(expired.accessToken);
    });
    expect(await screen.findByTestId("session-ended")).toHaveTextContent(en.common.sessionEnded);
  });

  it("stays quiet after the patient signed out themselves", async () => {
    const server = fakeServer({ Logout: { data: { logout: true } } });
    let signOut: (() => Promise<void>) | undefined;
    function Probe() {
      signOut = usePatient().signOut;
      return <SignIn />;
    }
    await renderScreen(<Probe />, { server, session: patientSession() });
    await act(async () => {
      await signOut!();
    });
    expect(screen.queryByTestId("session-ended")).toBeNull();
  });
});
