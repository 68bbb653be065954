package dev.statefort.server.wiring;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a request that came in on the management listener to the management handler, and every
 * other to the main one: the management port never reaches the API, the backend or the UI.
 */
final class ListenerRouting extends Handler.Wrapper {
    private final Connector management;
    private final Handler managementHandler;

    ListenerRouting(Handler main, Connector management, Handler managementHandler) {
        super(main);
        this.management = management;
        this.managementHandler = managementHandler;
        addBean(managementHandler, true);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() == management) {
            return managementHandler.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
