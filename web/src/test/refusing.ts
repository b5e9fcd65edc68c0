// A server for form tests that refuses every request with one BAD_USER_INPUT naming a field, as the
// real one does (extensions.field: "input.<field>" on input objects, the argument's name elsewhere),
// and records the requests.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { Observable } from "rxjs";

export function refusingServer(field: string, message: string) {
  const requests: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        requests.push(op.variables);
        observer.next({ data: null, errors: [{ message, path: [op.operationName ?? ""], extensions: { code: "BAD_USER_INPUT", field } }] });
        observer.complete();
      }),
  );
  return { requests, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

/** The texts a control's aria-describedby points at (its hint and its error). */
export function describedTexts(el: HTMLElement): (string | null | undefined)[] {
  return (el.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
}
