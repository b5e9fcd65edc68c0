import { act, fireEvent, screen } from "@testing-library/react-native";
import { router } from "expo-router";

import Follow from "../../app/follow";
import en from "../i18n/en";
import { STATUS_TOKEN } from "../test/fixtures";
import { camera } from "../test/nativeMocks";
import { renderScreen } from "../test/render";

function scan(data: string) {
  const props = camera.CameraView.mock.calls.at(-1)![0];
  act(() => props.onBarcodeScanned!({ data }));
}

describe("follow", () => {
  it("refuses a link that is not a CareQueue one, without going anywhere", async () => {
    await renderScreen(<Follow />);
    fireEvent.changeText(screen.getByTestId("status-link"), "https://evil.example/x/abc");
    fireEvent.press(screen.getByTestId("open-link"));
    expect(await screen.findByTestId("status-link-error")).toHaveTextContent(en.follow.invalid);
    expect(router.push).not.toHaveBeenCalled();
  });

  it("opens the ticket of a pasted link", async () => {
    await renderScreen(<Follow />);
    fireEvent.changeText(screen.getByTestId("status-link"), ` https://care.example.org/t/${STATUS_TOKEN}?src=sms `);
    fireEvent.press(screen.getByTestId("open-link"));
    expect(router.push).toHaveBeenCalledWith(`/t/${STATUS_TOKEN}`);
    expect(screen.queryByTestId("status-link-error")).toBeNull();
  });

  it("opens from the keyboard's return key too", async () => {
    await renderScreen(<Follow />);
    fireEvent.changeText(screen.getByTestId("status-link"), `carequeue://t/${STATUS_TOKEN}`);
    fireEvent(screen.getByTestId("status-link"), "submitEditing");
    expect(router.push).toHaveBeenCalledWith(`/t/${STATUS_TOKEN}`);
  });

  it("clears the error once a good link is given", async () => {
    await renderScreen(<Follow />);
    fireEvent.press(screen.getByTestId("open-link"));
    expect(await screen.findByTestId("status-link-error")).toBeTruthy();
    fireEvent.changeText(screen.getByTestId("status-link"), `/t/${STATUS_TOKEN}`);
    fireEvent.press(screen.getByTestId("open-link"));
    expect(screen.queryByTestId("status-link-error")).toBeNull();
  });

  it("opens the ticket of a scanned QR code", async () => {
    await renderScreen(<Follow />);
    fireEvent.press(screen.getByTestId("scan"));
    scan(`https://care.example.org/t/${STATUS_TOKEN}`);
    expect(router.push).toHaveBeenCalledWith(`/t/${STATUS_TOKEN}`);
  });

  it("opens a code the camera keeps seeing only once", async () => {
    await renderScreen(<Follow />);
    fireEvent.press(screen.getByTestId("scan"));
    scan(`carequeue://t/${STATUS_TOKEN}`);
    scan(`carequeue://t/${STATUS_TOKEN}`);
    expect(router.push).toHaveBeenCalledTimes(1);
  });

  it("says once that a scanned code is not a ticket", async () => {
    await renderScreen(<Follow />);
    fireEvent.press(screen.getByTestId("scan"));
    scan("WIFI:S:Hospital;;");
    expect(await screen.findByTestId("status-link-error")).toHaveTextContent(en.follow.invalid);
    expect(router.push).not.toHaveBeenCalled();
  });

  it("asks for the camera, and says when it was refused for good", async () => {
    const request = jest.fn(async () => undefined);
    camera.useCameraPermissions.mockReturnValue([{ granted: false, canAskAgain: true }, request] as never);
    const r = await renderScreen(<Follow />);
    fireEvent.press(screen.getByTestId("scan"));
    fireEvent.press(screen.getByTestId("camera-permission"));
    expect(request).toHaveBeenCalled();

    camera.useCameraPermissions.mockReturnValue([{ granted: false, canAskAgain: false }, request] as never);
    r.rerender(<Follow />);
    expect(screen.getByText(en.follow.cameraDenied)).toBeTruthy();
    camera.useCameraPermissions.mockReset();
    camera.useCameraPermissions.mockImplementation(() => [{ granted: true, canAskAgain: true }, jest.fn(async () => undefined)] as const);
  });
});
