/** A group's name as shown: Prolific can answer a group with no name, which still needs a label. */
export function groupTitle(name: string): string {
  return name.trim() ? name : '(unnamed group)';
}
