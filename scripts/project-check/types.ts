/** One problem found in the project, attached to the file that has to change. */
export interface ProjectIssue {
  /** Path from the project directory, e.g. `src/app/app-hsmeta.json` or `hsproject.json`. */
  file: string;
  /** What is wrong; PPL's own wording where the problem comes from PPL. */
  message: string;
  /** Profiles in which the problem shows up; empty when it does not depend on a profile. */
  profiles: string[];
}

/** What one profile's translate produced. */
export interface ProfileSummary {
  profile: string;
  /** Components in PPL's intermediate representation for this profile. */
  componentCount: number;
}

/** Outcome of checkProject(). */
export interface ProjectCheckResult {
  ok: boolean;
  /** Every profile that was checked, in name order, including those that failed. */
  profiles: string[];
  /** Profiles whose translate succeeded. */
  translated: ProfileSummary[];
  issues: ProjectIssue[];
}

/** The backend as the route cross-check sees it: answers unsigned requests, then gets closed. */
export interface BackendProbe {
  /** Sends an unsigned JSON `POST` to `path` and resolves with the HTTP status. */
  post(path: string): Promise<number>;
  /** Releases whatever the probe holds. */
  close(): Promise<void>;
}

/** Options of checkProject(). */
export interface ProjectCheckOptions {
  /** Folder holding hsproject.json. */
  projectDir: string;
  /** Profiles that must exist (default `['local', 'production']`); every profile found is checked either way. */
  requiredProfiles?: readonly string[];
  /**
   * Starts the backend for the route cross-check. Omit it to check the project files alone. It is only called
   * when some profile translated and has URLs to probe, so a broken project never needs the backend.
   */
  startBackend?: () => Promise<BackendProbe>;
}
