package io.fngate.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The embedded store: {@code <data-dir>/functions/<function-id>.json}, one document per function.
 * <p>
 * A write goes to {@code <id>.json.tmp}, is forced to disk, renamed over the document (atomic on POSIX file
 * systems) and the directory is forced so the rename itself survives a crash. A crash therefore leaves either
 * the old or the new document, never a torn one; leftover temporary files are removed at open (their writes
 * were never acknowledged), and a write that fails removes its own. A document that cannot be parsed stops the
 * start with its file name.
 */
final class FileStore implements RegistryStore {
    private static final Logger LOG = Logger.getLogger(FileStore.class.getName());
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".json.tmp";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Whether this store opened the lock (a collection shares its parent's and closes nothing). */
    private final boolean owner;

    private FileStore(Path dir, FileChannel lockChannel, FileLock lock, boolean owner) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.owner = owner;
    }

    static void checkCollectionName(String name) {
        if (!name.matches("[a-z]+")) {
            throw new IllegalArgumentException("collection: " + name + " (expected: lower-case letters)");
        }
    }

    @Override
    public RegistryStore collection(String name) {
        checkCollectionName(name);
        Path root = dir.getParent();
        Path child = root.resolve(name);
        try {
            Files.createDirectories(child);
            forceDirectory(root);
        } catch (IOException e) {
            throw new RegistryStoreException("cannot create " + child + ": " + e, e);
        }
        FileStore store = new FileStore(child, lockChannel, lock, false);
        if (lock != null) {
            store.removeTemporaryFiles();
        }
        return store;
    }

    static FileStore open(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        Path dir = root.resolve("functions");
        try {
            boolean fresh = !Files.isDirectory(root);
            Files.createDirectories(dir);
            forceDirectory(root);
            if (fresh && root.getParent() != null) {
                forceDirectory(root.getParent());
            }
        } catch (IOException e) {
            throw new RegistryStoreException("cannot create the data directory " + dir + ": " + e, e);
        }
        Path lockFile = root.resolve(".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RegistryStoreException("cannot open the lock file " + lockFile + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
            if (lock == null) {
                close(channel);
                throw new RegistryStoreException("data directory " + root + " is in use by another process (lock file "
                        + lockFile + " is held): two gateways must not share a data directory");
            }
        } catch (OverlappingFileLockException e) {
            // another registry of this same JVM (tests): its writes and ours are not merged
            LOG.warning("data directory " + root + " is already open in this process; not locking it again");
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new RegistryStoreException("cannot lock " + lockFile + ": " + e, e);
        }
        FileStore store = new FileStore(dir, channel, lock, true);
        if (lock != null) {
            store.removeTemporaryFiles(); // never while another registry of this process may be writing
        }
        return store;
    }

    @Override
    public Map<UUID, JsonObject> load() {
        Map<UUID, JsonObject> documents = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                UUID id = idOf(file, name);
                documents.put(id, read(file));
            }
        } catch (IOException e) {
            throw new RegistryStoreException("cannot list the store directory " + dir + ": " + e, e);
        }
        return documents;
    }

    @Override
    public synchronized void put(UUID functionId, JsonObject document) {
        Path target = file(functionId);
        Path temp = dir.resolve(functionId + TEMP_SUFFIX);
        ByteBuffer bytes = ByteBuffer.wrap((document + "\n").getBytes(StandardCharsets.UTF_8));
        boolean renamed = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new RegistryStoreException("cannot write " + target + ": " + e, e);
        } finally {
            if (!renamed) {
                removeFailedTemporary(temp);
            }
        }
    }

    @Override
    public synchronized void delete(UUID functionId) {
        Path target = file(functionId);
        try {
            if (Files.deleteIfExists(target)) {
                forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new RegistryStoreException("cannot delete " + target + ": " + e, e);
        }
    }

    @Override
    public String location(UUID functionId) {
        return file(functionId).toString();
    }

    @Override
    public synchronized void close() {
        if (!owner) {
            return;
        }
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(lockChannel);
    }

    @Override
    public String toString() {
        return "directory store " + dir;
    }

    private Path file(UUID functionId) {
        return dir.resolve(functionId + SUFFIX);
    }

    private static UUID idOf(Path file, String name) {
        String stem = name.substring(0, name.length() - SUFFIX.length());
        try {
            UUID id = UUID.fromString(stem);
            if (id.toString().equals(stem)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new RegistryStoreException(file + ": unexpected file in the store (expected <function-id>.json); "
                + "move it out of the directory");
    }

    private static JsonObject read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new RegistryStoreException(file + ": corrupt store file (not UTF-8)", e);
        } catch (IOException e) {
            throw new RegistryStoreException(file + ": cannot read store file: " + e, e);
        }
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryStoreException(file + ": corrupt store file (" + e.getMessage() + ")");
        }
        if (!(value instanceof JsonObject document)) {
            throw new RegistryStoreException(file + ": corrupt store file (not a JSON object)");
        }
        return document;
    }

    /**
     * Removes the temporary file of a write that failed, so that it does not lie in the directory until the next
     * start. A removal that fails too is only logged: the write's own failure is what the caller must hear.
     */
    private static void removeFailedTemporary(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warning("cannot remove " + temp + " after a failed write (removed at the next start): " + e);
        }
    }

    private void removeTemporaryFiles() {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            boolean removed = false;
            for (Path temp : temps) {
                Files.delete(temp);
                removed = true;
            }
            if (removed) {
                forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new RegistryStoreException("cannot clean temporary files in " + dir + ": " + e, e);
        }
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
