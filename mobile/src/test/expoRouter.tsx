// A minimal expo-router for screen tests (setup.ts installs it): the imperative router records every
// navigation, useLocalSearchParams returns what a test set with setParams, and Link, Redirect and Stack
// render plain views.
import type { ReactNode } from "react";
import { Text, View } from "react-native";

export const router = {
  push: jest.fn(),
  replace: jest.fn(),
  navigate: jest.fn(),
  back: jest.fn(),
  canGoBack: jest.fn(() => false),
  dismiss: jest.fn(),
};

let params: Record<string, string | string[]> = {};

/** The route parameters the next render of a screen reads. */
export function setParams(p: Record<string, string | string[]>): void {
  params = p;
}

export function useLocalSearchParams<T>(): T {
  return params as T;
}

export function useGlobalSearchParams<T>(): T {
  return params as T;
}

export function useRouter() {
  return router;
}

export function Link({ children, href }: { children?: ReactNode; href: unknown; asChild?: boolean }) {
  return <View testID={`link:${String(href)}`}>{typeof children === "string" ? <Text>{children}</Text> : children}</View>;
}

export function Redirect({ href }: { href: unknown }) {
  return <Text testID="redirect">{String(href)}</Text>;
}

function StackBase({ children }: { children?: ReactNode }) {
  return <>{children}</>;
}
export const Stack = Object.assign(StackBase, {
  Screen: (_props: { name?: string; options?: unknown }) => null,
  Protected: ({ children }: { guard: boolean; children?: ReactNode }) => <>{children}</>,
});
