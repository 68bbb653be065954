package dev.statefort.server.config;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Maps the subject of a verified client certificate to the principal it acts as. Read from the
 * file named by {@code tls-client-principals}, one mapping a line:
 *
 * <pre>
 * # permission  project (or * for all)  subject distinguished name
 * write         infra                   CN=ci-pipeline,O=Example
 * </pre>
 *
 * Subjects are compared in their canonical form, so spacing and attribute-name case do not matter.
 */
public final class ClientCertificatePrincipals {
    private static final ClientCertificatePrincipals NONE = new ClientCertificatePrincipals(Map.of());

    private final Map<String, Principal> bySubject;

    private ClientCertificatePrincipals(Map<String, Principal> bySubject) {
        this.bySubject = Map.copyOf(bySubject);
    }

    public static ClientCertificatePrincipals none() {
        return NONE;
    }

    /** The principal of {@code subject}, when the file maps it. */
    public Optional<Principal> principalOf(X500Principal subject) {
        return Optional.ofNullable(bySubject.get(subject.getName(X500Principal.CANONICAL)));
    }

    public int size() {
        return bySubject.size();
    }

    /** Parses {@code file}; each bad line is added to {@code problems} with its line number. */
    static ClientCertificatePrincipals read(Path file, String where, List<String> problems) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            problems.add(where + ": " + file + " cannot be read: " + e.getMessage());
            return NONE;
        }
        Map<String, Principal> bySubject = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = where + " " + file + " line " + (i + 1);
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                problems.add(at + ": expected '<permission> <project or *> <subject DN>'");
                continue;
            }
            try {
                Permission permission = Permission.parse(parts[0]);
                String project = parts[1].equals("*") ? null : Names.require("project", parts[1]);
                X500Principal subject = new X500Principal(parts[2]);
                String canonical = subject.getName(X500Principal.CANONICAL);
                Principal principal =
                        new Principal("cert:" + subject.getName(X500Principal.RFC2253), project, permission);
                if (bySubject.putIfAbsent(canonical, principal) != null) {
                    problems.add(at + ": subject '" + parts[2] + "' is mapped twice");
                }
            } catch (RuntimeException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        return new ClientCertificatePrincipals(bySubject);
    }
}
