// mongosh script, run as the container's health check. Exit 0 when this node is the writable
// primary of its replica set; on a fresh volume, initiates the set (one member, reachable by the
// other containers as MONGO_RS_HOST, default mongo:27017) and reports unhealthy until elected.
const host = process.env.MONGO_RS_HOST || 'mongo:27017';
const setName = process.env.MONGO_REPLICA_SET || 'rs0';
try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  rs.initiate({ _id: setName, members: [{ _id: 0, host }] });
  print(`initiated replica set ${setName} with ${host}`);
  quit(1);
}
quit(db.hello().isWritablePrimary ? 0 : 1);
