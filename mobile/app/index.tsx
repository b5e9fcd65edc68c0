// The start: the patient's visits when signed in, else sign-in.
import { useSession } from "@carequeue/graphql";
import { Redirect } from "expo-router";

export default function Index() {
  const { session } = useSession();
  return <Redirect href={session?.user.role === "PATIENT" ? "/visits" : "/sign-in"} />;
}
