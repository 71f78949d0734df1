export const VIEW_ID = 'cleanRooms.memberships';
export const CONTAINER_ID = 'cleanRooms';
