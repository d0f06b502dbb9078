import { redirect } from "next/navigation";

/** The trace list is the dashboard's front page. */
export default function Home() {
  redirect("/traces");
}
