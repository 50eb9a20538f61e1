package io.github.camelhpx.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/**
 * Opens, checks and closes the pool's connections, and remembers every open one so that closing the client
 * closes them all, borrowed ones included.
 */
final class ConnectionFactory extends BasePooledObjectFactory<HpxConnection> {

    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final Set<HpxConnection> open = ConcurrentHashMap.newKeySet();
    private volatile Welcome lastWelcome;

    ConnectionFactory(ClientSettings settings, BroadcastDispatcher broadcasts) {
        this.settings = settings;
        this.broadcasts = broadcasts;
    }

    @Override
    public HpxConnection create() {
        HpxConnection connection = HpxConnection.open(settings, broadcasts);
        lastWelcome = connection.welcome();
        open.add(connection);
        return connection;
    }

    @Override
    public PooledObject<HpxConnection> wrap(HpxConnection connection) {
        return new DefaultPooledObject<>(connection);
    }

    @Override
    public boolean validateObject(PooledObject<HpxConnection> pooled) {
        return pooled.getObject().isReusable();
    }

    @Override
    public void destroyObject(PooledObject<HpxConnection> pooled) {
        HpxConnection connection = pooled.getObject();
        open.remove(connection);
        connection.close();
    }

    /** The welcome of the newest connection, or {@code null} before the first. */
    Welcome lastWelcome() {
        return lastWelcome;
    }

    void closeAll() {
        open.forEach(HpxConnection::close);
        open.clear();
    }
}
