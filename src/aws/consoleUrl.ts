/** The documented Clean Rooms console address for a region (deeper routes are not documented). */
export function consoleUrl(region: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cleanrooms/home?region=${r}`;
}
