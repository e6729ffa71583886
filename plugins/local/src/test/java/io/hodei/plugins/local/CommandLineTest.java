package io.hodei.plugins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void splitsOnSpacesAndKeepsQuotedArgumentsWhole() {
    assertThat(
            CommandLine.parse("java -jar '/opt/my agent/agent.jar'  --x \"a b\" c\\ d").arguments())
        .containsExactly("java", "-jar", "/opt/my agent/agent.jar", "--x", "a b", "c d");
  }

  @Test
  void keepsShellSyntaxForTheShell() {
    assertThat(CommandLine.parse("sh -c 'sleep 300 & wait'").arguments())
        .containsExactly("sh", "-c", "sleep 300 & wait");
  }

  @Test
  void rejectsAnUnclosedQuote() {
    assertThatThrownBy(() -> CommandLine.parse("sh -c 'oops")).hasMessageContaining("unclosed");
  }

  @Test
  void findsTheExecutableOnPath() {
    assertThat(CommandLine.parse("sh -c true").resolveExecutable(System.getenv("PATH")))
        .isPresent();
    assertThat(CommandLine.parse("no-such-command-hodei").resolveExecutable(System.getenv("PATH")))
        .isEmpty();
  }
}
