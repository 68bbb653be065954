package dev.statefort.server.cli;

import dev.statefort.core.crypto.CryptoException;
import dev.statefort.core.crypto.EnvironmentMasterKeySource;
import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.KeyRotation;
import dev.statefort.core.crypto.MasterKey;
import dev.statefort.core.crypto.MasterKeySource;
import dev.statefort.core.model.Names;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort keys ...}: master and data key rotation. Every step can be re-run to resume. */
@Command(
        name = "keys",
        description = "Rotate encryption keys (resumable: re-run an interrupted command).",
        mixinStandardHelpOptions = true,
        subcommands = {
            KeysCommand.GenerateMaster.class,
            KeysCommand.RotateMaster.class,
            KeysCommand.RotateData.class,
            KeysCommand.Reencrypt.class
        })
final class KeysCommand {

    @Command(
            name = "generate-master",
            description = {
                "Print a new master key (base64 of its Tink keyset) for " + EnvironmentMasterKeySource.VARIABLE + ".",
                "For several nodes: generate it once, keep it in your secret store, give every node the same."
            },
            mixinStandardHelpOptions = true)
    static final class GenerateMaster implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(java.util.Base64.getEncoder()
                    .encodeToString(MasterKey.generate().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return 0;
        }
    }

    @Command(
            name = "rotate-master",
            description = "Re-wrap every project's data key under a new master key (blobs are not rewritten).",
            mixinStandardHelpOptions = true)
    static final class RotateMaster implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(
                names = "--new-master-key-file",
                paramLabel = "FILE",
                description = "Write the new master key here (required when the key comes from "
                        + EnvironmentMasterKeySource.VARIABLE + "; default: rotate the key file in place).")
        Path newKeyFile;

        @Override
        public Integer call() {
            ServerConfig config = options.load();
            requireEncryption(config);
            try (StatefortNode node = StatefortNode.open(config)) {
                MasterKeySource source = node.encryption().master().source();
                KeyFileMasterKeySource target;
                if (newKeyFile != null) {
                    target = new KeyFileMasterKeySource(newKeyFile);
                } else if (source instanceof KeyFileMasterKeySource file) {
                    target = file;
                } else {
                    throw new CryptoException("the master key comes from " + source.description()
                            + "; give --new-master-key-file for the new key");
                }
                KeyRotation.MasterRotation done =
                        new KeyRotation(node.metadata(), Clock.systemUTC()).rotateMaster(source, target);
                System.out.printf(
                        "master key rotated: %d key material entries re-wrapped, new master key %08x in %s%n",
                        done.rewrapped(), done.newPrimaryKeyId(), target.file());
                if (target != source) {
                    System.out.println("now start every node with the new key (--master-key-file " + target.file()
                            + " or its content in " + EnvironmentMasterKeySource.VARIABLE + ")");
                }
                System.out.println("back up the new master key apart from the data; the old key no longer works.");
                return 0;
            }
        }
    }

    @Command(
            name = "rotate-data",
            description = "Add a new data key to a project for new writes; --reencrypt rewrites old versions too.",
            mixinStandardHelpOptions = true)
    static final class RotateData implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P", description = "The project.")
        String project;

        @Option(
                names = "--reencrypt",
                description = "Also rewrite every old version under the newest data key (resumable).")
        boolean reencrypt;

        @Override
        public Integer call() throws Exception {
            try (StatefortNode node = openForProject(options, project)) {
                KeyRotation rotation = new KeyRotation(node.metadata(), Clock.systemUTC());
                int keyId = rotation.rotateData(node.encryption().keyRing(), project);
                System.out.printf("project %s: new data key %08x is used for new writes%n", project, keyId);
                if (reencrypt) {
                    Reencrypt.run(node, rotation, project);
                }
                return 0;
            }
        }
    }

    @Command(
            name = "reencrypt",
            description = "Rewrite every version of a project not yet under its newest data key "
                    + "(also resumes an interrupted rotate-data --reencrypt).",
            mixinStandardHelpOptions = true)
    static final class Reencrypt implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P", description = "The project.")
        String project;

        @Override
        public Integer call() throws Exception {
            try (StatefortNode node = openForProject(options, project)) {
                run(node, new KeyRotation(node.metadata(), Clock.systemUTC()), project);
                return 0;
            }
        }

        static void run(StatefortNode node, KeyRotation rotation, String project) throws java.io.IOException {
            KeyRotation.Reencryption done = rotation.reencrypt(node.encryption().keyRing(), node.rawBlobs(), project);
            System.out.printf(
                    "project %s: %d versions examined, %d rewritten under the newest data key%n",
                    project, done.examined(), done.rewritten());
        }
    }

    /** Opens the node for a key command on one existing project, with encryption on. */
    static StatefortNode openForProject(ConfigOptions options, String project) {
        Names.require("project", project);
        ServerConfig config = options.load();
        requireEncryption(config);
        StatefortNode node = StatefortNode.open(config);
        if (node.metadata().findProject(project).isEmpty()) {
            node.close();
            throw new dev.statefort.core.model.ProjectNotFoundException(project);
        }
        return node;
    }

    static void requireEncryption(ServerConfig config) {
        if (!config.encryption()) {
            throw new CryptoException("encryption is off in this configuration; there are no keys to rotate");
        }
    }
}
