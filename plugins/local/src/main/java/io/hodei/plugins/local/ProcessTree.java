package io.hodei.plugins.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ends a process and every descendant it has: SIGTERM first, SIGKILL after a grace period. */
final class ProcessTree {

  private ProcessTree() {}

  /**
   * @return true when every process of the tree ended
   */
  static boolean terminate(ProcessHandle root, Duration grace) throws InterruptedException {
    // Collect before signalling: once the root dies its children are re-parented and lost to us.
    return terminate(treeOf(root), grace);
  }

  /**
   * Ends the given processes and their descendants, as {@link #terminate(ProcessHandle, Duration)}.
   */
  static boolean terminate(List<ProcessHandle> processes, Duration grace)
      throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>();
    for (ProcessHandle process : processes) {
      for (ProcessHandle member : treeOf(process)) {
        if (!tree.contains(member)) {
          tree.add(member);
        }
      }
    }
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle process : tree) {
      awaitExit(process, deadline);
    }
    List<ProcessHandle> survivors = new ArrayList<>();
    for (ProcessHandle process : tree) {
      if (process.isAlive()) {
        // Anything a survivor spawned while shutting down goes too.
        survivors.addAll(treeOf(process));
      }
    }
    survivors.forEach(ProcessHandle::destroyForcibly);
    long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle process : survivors) {
      awaitExit(process, killDeadline);
    }
    return tree.stream().noneMatch(ProcessHandle::isAlive)
        && survivors.stream().noneMatch(ProcessHandle::isAlive);
  }

  /** Kills a tree at once, for a worker that must not be left behind after a failed start. */
  static void terminateQuietly(ProcessHandle root) {
    treeOf(root).forEach(ProcessHandle::destroyForcibly);
  }

  private static List<ProcessHandle> treeOf(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  private static void awaitExit(ProcessHandle process, long deadlineNanos)
      throws InterruptedException {
    while (process.isAlive() && System.nanoTime() < deadlineNanos) {
      Thread.sleep(20);
    }
  }
}
