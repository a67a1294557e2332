/**
 * The profile names of the shared AWS config and credentials files, as the SDK's loader keys their
 * sections: other sections come keyed by their type ("sso-session.NAME", "services.NAME") and are no
 * accounts. Apart from the SDK, so that diagnostics can list them without loading it.
 */
export function profileNames(...files: Array<Record<string, unknown>>): string[] {
  return [...new Set(files.flatMap((file) => Object.keys(file)))].filter((name) => !/^(sso-session|services)\./.test(name)).sort();
}
