package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.storage.StorageAdministration;
import dev.statefort.core.storage.StorageMoves;
import dev.statefort.core.usecases.StorageUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;

/**
 * The storage profiles in the REST API, for a global admin: {@code GET /api/v1/storage}, and moving
 * a project to another profile ({@code POST .../storage/move}, which starts the move on this node
 * and answers 202 at once, and {@code GET .../storage/move}, its progress, the same on every node).
 */
public final class StorageApi {
    private final StorageAdministration storage;
    private final StorageMoves moves;
    private final ObjectMapper json;

    public StorageApi(StorageUseCases storage, ObjectMapper json) {
        this.storage = storage.admin();
        this.moves = storage.moves();
        this.json = json;
    }

    void list(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, new Items<>(storage.list(principal)));
    }

    void startMove(Exchange exchange, Principal principal, PathParams path) throws IOException {
        JsonNode to = ApiInput.readJson(exchange, json).path("to");
        if (!to.isTextual() || to.asText().isBlank()) {
            throw new InvalidInputException("body must be {\"to\": \"<storage profile>\"}");
        }
        exchange.sendJson(202, json, MoveView.of(moves.moveInBackground(principal, path.project(), to.asText())));
    }

    void moveProgress(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, MoveView.of(moves.progress(principal, path.project())));
    }

    /**
     * A move's progress: {@code state} is {@code moving} while a move is in progress, {@code done}
     * when every blob is on the project's profile, {@code incomplete} when some are not (a write that
     * could not follow the move; move it again).
     */
    record MoveView(
            String project,
            String storage,
            String movingTo,
            String state,
            long blobs,
            long remaining,
            boolean running,
            String problem) {
        static MoveView of(StorageMoves.Progress p) {
            String state = p.movingTo() != null ? "moving" : p.done() ? "done" : "incomplete";
            return new MoveView(
                    p.project(), p.storage(), p.movingTo(), state, p.blobs(), p.remaining(), p.running(), p.problem());
        }
    }
}
