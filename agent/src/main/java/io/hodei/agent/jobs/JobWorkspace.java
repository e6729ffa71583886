package io.hodei.agent.jobs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Chooses and creates the directory a job's steps run in, always inside the agent's work dir. */
public final class JobWorkspace {

  private final Path workDir;

  public JobWorkspace(Path workDir) {
    this.workDir = workDir.toAbsolutePath().normalize();
  }

  /** The agent's work directory, absolute. */
  public Path workDir() {
    return workDir;
  }

  /**
   * The job's directory: {@code workingDirectory} resolved against the work dir, or, when empty, a
   * fresh directory {@code jobs/<job>-<attempt>} (suffixed if an earlier run left one behind).
   *
   * @throws IllegalArgumentException when {@code workingDirectory} leaves the work dir
   * @throws IOException when the directory cannot be created
   */
  public Path prepare(String jobId, int attempt, String workingDirectory) throws IOException {
    if (!workingDirectory.isEmpty()) {
      Path resolved;
      try {
        resolved = workDir.resolve(workingDirectory).normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "working_directory '" + workingDirectory + "' is not a valid path: " + e.getMessage());
      }
      if (Path.of(workingDirectory).isAbsolute() || !resolved.startsWith(workDir)) {
        throw new IllegalArgumentException(
            "working_directory '"
                + workingDirectory
                + "' must be a relative path inside the agent's work directory");
      }
      return Files.createDirectories(resolved);
    }
    Path jobs = Files.createDirectories(workDir.resolve("jobs"));
    String base = safeName(jobId) + "-" + attempt;
    for (int suffix = 1; ; suffix++) {
      Path candidate = jobs.resolve(suffix == 1 ? base : base + "." + suffix);
      try {
        return Files.createDirectory(candidate);
      } catch (FileAlreadyExistsException e) {
        // A directory left by an earlier run of the same attempt; take the next name.
      }
    }
  }

  static String safeName(String jobId) {
    String safe = jobId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.startsWith(".")) {
      safe = "job" + safe;
    }
    return safe.length() > 100 ? safe.substring(0, 100) : safe;
  }
}
