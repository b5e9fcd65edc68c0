/** A form's submit handler that stays on the page (the kiosk never navigates on submit). */
export function submitted(onSubmit: () => void) {
  return (e: { preventDefault(): void }) => {
    e.preventDefault();
    onSubmit();
  };
}
