package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.storage.StorageAdministration;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;

/** The storage profiles in the REST API: {@code GET /api/v1/storage} for a global admin. */
public final class StorageApi {
    private final StorageAdministration storage;
    private final ObjectMapper json;

    public StorageApi(StorageAdministration storage, ObjectMapper json) {
        this.storage = storage;
        this.json = json;
    }

    void list(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, new Items<>(storage.list(principal)));
    }
}
