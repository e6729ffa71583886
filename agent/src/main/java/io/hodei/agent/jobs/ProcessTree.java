package io.hodei.agent.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Ends a step's shell and everything it started. The tree is read before anything is signalled:
 * once the shell dies its children are re-parented and no longer show up as its descendants.
 */
public final class ProcessTree {

  private static final Logger LOG = Logger.getLogger(ProcessTree.class.getName());

  private ProcessTree() {}

  /**
   * Sends SIGTERM to the whole tree, waits up to {@code grace} for it to exit, then sends SIGKILL
   * to whatever is left, including processes started during the grace period. Blocks until done.
   */
  public static void terminate(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> tree = snapshot(root);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle process : tree) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      try {
        process.onExit().get(remaining, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        break;
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot wait for process " + process.pid(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<ProcessHandle> survivors = new ArrayList<>();
    for (ProcessHandle process : tree) {
      if (process.isAlive()) {
        survivors.add(process);
        process.descendants().forEach(survivors::add);
      }
    }
    if (!survivors.isEmpty()) {
      LOG.info(
          survivors.size()
              + " process(es) outlived the grace period of "
              + grace.toMillis()
              + "ms; killing them");
      survivors.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The root and all its descendants, parents before children. */
  static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }
}
