package io.serval.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Generates secret files: random, readable by their owner only (0600), written atomically. */
public final class TokenFiles {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private TokenFiles() {}

  /** 256 random bits, URL-safe Base64 (43 characters). */
  public static String generate() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * The file, created with a fresh token if absent; an existing one is kept as it is, so that every
   * start of the platform shares the same token.
   *
   * @return whether a new token was written
   */
  public static boolean createIfAbsent(Path file) {
    if (Files.exists(file)) {
      return false;
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // Created 0600 from the start: the secret is never readable by others, not even briefly.
      Path tmp =
          Files.createTempFile(
              dir,
              file.getFileName().toString(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try {
        Files.writeString(tmp, generate() + "\n", StandardCharsets.UTF_8);
        // A hard link appears complete and never replaces: if another process created the file
        // meanwhile, theirs wins and both use it.
        Files.createLink(file, tmp);
        return true;
      } catch (FileAlreadyExistsException raced) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token file " + file, e);
    }
  }
}
