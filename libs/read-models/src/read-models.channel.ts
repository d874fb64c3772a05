/** Channel the projector NOTIFYs after each committed batch; the payload is the new checkpoint. */
export const readModelsUpdatedChannel = 'read_models_updated';
