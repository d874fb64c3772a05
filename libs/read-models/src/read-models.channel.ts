/** Channel the projector NOTIFYs after each committed batch; the payload is the new checkpoint. */
export const readModelsUpdatedChannel = 'read_models_updated';

/** The live read models' row in projection_checkpoints: the last event they reflect. */
export const readModelsCheckpoint = 'read-models';
