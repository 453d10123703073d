/** Refusal sentences for a log line: the contact key is a contact detail and stays out of logs. */
export function loggableProblems(problems: readonly string[], contactKey: string | null): string[] {
  return contactKey ? problems.map((p) => p.split(contactKey).join('[contact]')) : [...problems];
}
