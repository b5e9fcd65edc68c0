// Colours chosen for WCAG AA contrast (4.5:1 or more for text) on their backgrounds; state is always
// said in words too, never by colour alone.
export const colors = {
  text: "#111827", // on white: 17:1
  muted: "#374151", // on white: 10:1
  background: "#ffffff",
  surface: "#f3f4f6",
  border: "#6b7280", // non-text contrast 4.8:1
  primary: "#0b4f9c", // white text on it: 8.6:1
  onPrimary: "#ffffff",
  danger: "#a4161a", // on white: 7.6:1
  warningBg: "#fff4ce",
  warningText: "#5c4400", // on warningBg: 8:1
  called: "#0b4f9c",
};

export const space = { xs: 4, sm: 8, md: 16, lg: 24, xl: 32 };

/** Dynamic type: text may grow to 200 % of its size; layouts wrap instead of clipping. */
export const MAX_FONT_SCALE = 2;
