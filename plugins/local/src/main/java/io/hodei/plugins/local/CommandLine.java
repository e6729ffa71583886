package io.hodei.plugins.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command line split into arguments the way a shell would split a simple command: spaces
 * separate, single and double quotes group, a backslash escapes the next character. Nothing else of
 * a shell applies (no variables, globs or pipes); use {@code sh -c '...'} for those.
 */
record CommandLine(List<String> arguments) {

  CommandLine {
    arguments = List.copyOf(arguments);
    if (arguments.isEmpty()) {
      throw new IllegalArgumentException("a command line needs at least the executable");
    }
  }

  static CommandLine parse(String text) {
    List<String> arguments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inArgument = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          current.append(text.charAt(++i));
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inArgument = true;
      } else if (c == '\\' && i + 1 < text.length()) {
        current.append(text.charAt(++i));
        inArgument = true;
      } else if (Character.isWhitespace(c)) {
        if (inArgument) {
          arguments.add(current.toString());
          current.setLength(0);
          inArgument = false;
        }
      } else {
        current.append(c);
        inArgument = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed " + quote + " quote in: " + text);
    }
    if (inArgument) {
      arguments.add(current.toString());
    }
    return new CommandLine(arguments);
  }

  String executable() {
    return arguments.get(0);
  }

  /** The executable's file: as given when it holds a slash, else the first match on PATH. */
  Optional<Path> resolveExecutable(String path) {
    if (executable().contains("/")) {
      Path file = Path.of(executable());
      return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, executable());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
