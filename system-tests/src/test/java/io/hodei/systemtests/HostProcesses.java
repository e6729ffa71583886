package io.hodei.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The processes of this host, as {@code /proc} shows them: how the tests find agents and job
 * processes the server started, and make sure none is left behind.
 */
public final class HostProcesses {

  private static final Path PROC = Path.of("/proc");

  private HostProcesses() {}

  /** Live processes whose command line contains {@code fragment}. */
  public static List<ProcessHandle> withCommandLineContaining(String fragment) {
    return matching(pid -> commandLine(pid).map(line -> line.contains(fragment)).orElse(false));
  }

  /** Live processes whose environment holds exactly {@code name=value}. */
  public static List<ProcessHandle> withEnvironment(String name, String value) {
    String entry = name + "=" + value;
    return matching(pid -> environment(pid).contains(entry));
  }

  /** The command line of a process, arguments separated by spaces; empty once it is gone. */
  public static Optional<String> commandLine(long pid) {
    return read(pid, "cmdline").map(raw -> String.join(" ", raw.split("\0")));
  }

  /** The environment a process started with, one {@code NAME=value} per entry. */
  public static List<String> environment(long pid) {
    return read(pid, "environ").map(raw -> Arrays.asList(raw.split("\0"))).orElse(List.of());
  }

  /**
   * Ends processes and waits for them: SIGTERM, then SIGKILL for what is still alive after {@code
   * grace}. Throws if one survives even SIGKILL, since a leftover process would skew later tests.
   */
  public static void terminate(List<ProcessHandle> processes, Duration grace) {
    processes.forEach(ProcessHandle::destroy);
    awaitExit(processes, grace);
    List<ProcessHandle> survivors = processes.stream().filter(ProcessHandle::isAlive).toList();
    survivors.forEach(ProcessHandle::destroyForcibly);
    awaitExit(survivors, Duration.ofSeconds(10));
    List<Long> stuck =
        survivors.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    if (!stuck.isEmpty()) {
      throw new IllegalStateException("processes " + stuck + " survived SIGKILL");
    }
  }

  /** Kills processes with SIGKILL and waits until they are gone. */
  public static void kill(List<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroyForcibly);
    awaitExit(processes, Duration.ofSeconds(10));
    List<Long> stuck =
        processes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    if (!stuck.isEmpty()) {
      throw new IllegalStateException("processes " + stuck + " survived SIGKILL");
    }
  }

  /** Waits until every process ended or {@code timeout} passed, whichever comes first. */
  private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        process.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // Still alive: the caller escalates to SIGKILL or reports it.
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot wait for process " + process.pid(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + process.pid(), e);
      }
    }
  }

  private static List<ProcessHandle> matching(Predicate<Long> test) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(process -> test.test(process.pid()))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  private static Optional<String> read(long pid, String file) {
    try {
      byte[] bytes = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve(file));
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // the process ended while we looked
    } catch (IOException e) {
      // A process we may not inspect (another user's) is none of ours.
      return Optional.empty();
    }
  }
}
