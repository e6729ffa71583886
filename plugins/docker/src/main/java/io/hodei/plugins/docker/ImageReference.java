package io.hodei.plugins.docker;

/**
 * An image reference split the way a pull needs it: without a tag the engine would pull every tag
 * of the repository, so a bare name means {@code latest}, as {@code docker pull} does.
 *
 * @param repository the repository, with its registry host if any
 * @param tag the tag, or the digest ({@code sha256:...})
 * @param registry the registry host named in the reference; empty for the engine's default registry
 */
record ImageReference(String repository, String tag, java.util.Optional<String> registry) {

  static ImageReference parse(String image) {
    String repository = image;
    String tag = "latest";
    int at = image.indexOf('@');
    if (at >= 0) {
      repository = image.substring(0, at);
      tag = image.substring(at + 1);
    } else {
      int colon = image.lastIndexOf(':');
      if (colon > image.lastIndexOf('/')) {
        repository = image.substring(0, colon);
        tag = image.substring(colon + 1);
      }
    }
    int slash = repository.indexOf('/');
    String first = slash < 0 ? "" : repository.substring(0, slash);
    // Docker's rule: the first part names a registry when it looks like a host.
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
    return new ImageReference(
        repository, tag, hasRegistry ? java.util.Optional.of(first) : java.util.Optional.empty());
  }
}
